"""Products for one reader each, from the data bundle: the Committee's two-page brief
(``brief``) and the researchers' activities explorer (``explorer``).
"""
