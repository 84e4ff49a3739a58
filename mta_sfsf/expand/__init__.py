"""Expanding ``sfsf-outbound-connections``: the connection model (``connections``), the Neo
landscape (``landscape``), the plan (``plan``), Jinja2 rendering (``render``) and the ``expand``
command (``command``). Offline; the only layer that imports jinja2."""
