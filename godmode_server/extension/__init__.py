"""The Chrome collector as IT deploys it: packed and signed (``crx``, ``packaging``), served with
an update manifest for self-hosted updates (``shelf``; the routes are routes/extension.py), and
checked from outside (``check``)."""
