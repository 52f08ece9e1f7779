"""Operations: backups and restores, privacy (retention purge, export of one person's data)."""
