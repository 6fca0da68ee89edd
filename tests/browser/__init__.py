"""Tests that drive JupyterLab in a real Chromium (marked ``browser``)."""
