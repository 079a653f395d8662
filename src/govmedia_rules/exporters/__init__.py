"""Writing a report or a bulletin for people: text, JSON, JSON Lines, Markdown and CSV of
findings (`formats`, `outputs`), and the 通报 in Markdown, HTML, XLSX and Word (`bulletin*`,
`templates/`)."""
