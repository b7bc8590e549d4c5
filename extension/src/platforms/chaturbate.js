/* The Chaturbate broadcaster page: its selectors are selectors.json's "chaturbate" entry. */
GodModeContent.start("chaturbate");
