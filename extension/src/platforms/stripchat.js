/* The Stripchat broadcaster page: its selectors are selectors.json's "stripchat" entry. */
GodModeContent.start("stripchat");
