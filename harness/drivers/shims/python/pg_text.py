"""PostgreSQL's text output for values a driver has already decoded.

The asyncpg helper asks for text for every built-in scalar type, so scalars arrive as the
server's text. Arrays and composites are still taken apart by the driver (into lists and
Records of those texts); they are put back together here following array_out and record_out:
https://www.postgresql.org/docs/current/arrays.html#ARRAYS-IO
https://www.postgresql.org/docs/current/rowtypes.html#ROWTYPES-IO-SYNTAX
What cannot be restored: an array's explicit lower bounds ([0:1]={...}) and a type's own
delimiter (box[] uses ';'); those show as if the bounds were 1 and the delimiter ','.
"""

_ARRAY_PLAIN = set(",{}\"\\ \t\n\r\v\f")


def _array_element(v):
    if v is None:
        return "NULL"
    if isinstance(v, (list, tuple)):
        return _array(v)
    s = to_text(v)
    if s == "" or s.upper() == "NULL" or any(ch in _ARRAY_PLAIN for ch in s):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return s


def _array(items):
    return "{" + ",".join(_array_element(v) for v in items) + "}"


def _record_field(v):
    if v is None:
        return ""
    s = to_text(v)
    if s == "" or any(ch in "(),\"\\ \t\n\r\v\f" for ch in s):
        return '"' + s.replace("\\", "\\\\").replace('"', '""') + '"'
    return s


def to_text(v):
    """None stays None (SQL NULL); everything else becomes PostgreSQL's text for it."""
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "t" if v else "f"
    if hasattr(v, "items") and hasattr(v, "values"):  # asyncpg.Record: a composite value
        return "(" + ",".join(_record_field(x) for x in v.values()) + ")"
    if isinstance(v, (list, tuple)):
        return _array(v)
    return str(v)
