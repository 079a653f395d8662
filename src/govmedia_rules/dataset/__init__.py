"""The input as the rules read it: the registry and small event lists of each account
(`registry`), posts and messages as columns grouped by account (`columns`), and which record
types and fields the input can show (`evidence`)."""
