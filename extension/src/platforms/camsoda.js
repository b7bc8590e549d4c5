/* The CamSoda broadcaster page: its selectors are selectors.json's "camsoda" entry. */
GodModeContent.start("camsoda");
