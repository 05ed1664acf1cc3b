class ActionRefused(Exception):
    """A rule refused what the user asked for; the message is fit to show them."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)
