"""Text for the terminal: control characters in untrusted text are shown, never run.

Article ids, file names, notes, claims and error messages can hold escape sequences that
clear the screen or set the window title, line breaks that forge output lines, and bidi
overrides that reorder what is shown. `shown` writes each such character as a visible
escape (`\\x1b`, `\\n`, `\\u202e`); every line the command line prints goes through it.
"""

from __future__ import annotations

import re

# C0 controls (line breaks and tabs included), DEL, C1 controls, bidi embeddings,
# overrides and isolates.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# In a JSON text these characters can only be inside strings, where \u escapes mean the same.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def shown(value: object) -> str:
    """`value` as text with every unsafe character written as a visible escape."""
    return UNSAFE.sub(_escape, str(value))


def shown_json(text: str) -> str:
    """A JSON text (C0 controls already escaped by json.dumps) with DEL, C1 and bidi
    characters written as \\u escapes: the same data, safe on a terminal."""
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    if character in NAMED:
        return NAMED[character]
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
