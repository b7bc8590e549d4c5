"""The Chrome collector as IT deploys it: packed and signed (``crx``, ``packaging``), served with
an update manifest for self-hosted updates (``updates``), and checked from outside (``check``)."""
