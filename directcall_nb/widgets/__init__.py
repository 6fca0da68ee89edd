"""The widgets shown in a notebook: the compose form and its parts."""
