"""Real-world table shapes: government lists, registry exports, patent exports.

A file is read as raw grids (``grid``), one per sheet, every row kept with the number a
person sees. The header row is found by reading, not by offset (``header``); rows between
data rows are classified (title, group, note, blank) in ``rows``. The shape is detected
from the header's vocabulary (``vocabulary``, a data table) and turned into the canonical
entity and relation tables the loader validates (``model.ShapedSource``).
"""
