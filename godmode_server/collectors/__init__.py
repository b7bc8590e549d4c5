"""Collectors' side of the backend: the scraping rules served to the Chrome extension, and the
server-side collectors that read a platform's official API (Chaturbate's Events API)."""
