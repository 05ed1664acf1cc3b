"""The inspection pages: today and the rounds, rooms and templates, abnormal findings, the visitor register."""
