"""Helpers shared by every area. Nothing here imports an area package."""
