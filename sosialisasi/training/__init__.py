"""Training: pre-/post-tests, evaluation surveys with the IKM index, JP and learning records."""
