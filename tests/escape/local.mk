# tests/escape: the escape suite (issue 10), real containers under profiles/default.conf.
