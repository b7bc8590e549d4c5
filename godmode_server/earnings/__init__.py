"""Earnings as they happen: what each room earned in the studio's current day and shift."""
