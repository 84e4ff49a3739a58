"""Reading descriptors: files, standard input and ``.mtar`` archives (``load``), the event-based
YAML reader that keeps positions and bounds size, depth and aliases (``yaml_io``), the extension
chain and merge (``chain``), and writing: minimal-diff edits (``edit``) and archive rewriting
(``mtar_rewrite``). Offline; imports nothing above it."""
