"""The package version, in a module of its own so every stage can name it without importing the
package (whose __init__ imports the engine)."""

__version__ = "0.1.0"
