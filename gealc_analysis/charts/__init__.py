"""Charts: one look (``style``) and one function per chart; a measure's frame in, a Figure out."""
