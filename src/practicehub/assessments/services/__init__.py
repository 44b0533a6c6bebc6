"""Assessment rules: ``instruments`` (loading YAML instruments), ``scoring`` (pure scoring),
``administrations`` (recording scores and votes, suggestions), ``results``, ``charts``,
``entry`` (the score grid) and ``exports``."""
