"""Collectors' side of the backend: the scraping rules served to the Chrome extension, the
collectors' health (their own reports, each key's activity, keys gone silent), and the
server-side collectors that read a platform's official API (Chaturbate's Events API)."""
