# tests/hostile: hostile callers of the interception supervisor.
