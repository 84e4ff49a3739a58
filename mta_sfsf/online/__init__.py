"""The online commands and what they share: HTTP (``http``), credentials, events, the plan-file
reader (``planfile``), verdicts, and ``verify``, ``simulate`` (``simulate-event``) and ``sandbox``.
The only layer that imports requests or opens sockets."""
