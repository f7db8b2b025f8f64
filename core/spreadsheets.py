"""Safe CSV exports of text members wrote."""

# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """The cell's text, with a leading quote when a spreadsheet would run it as a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
