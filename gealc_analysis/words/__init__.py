"""Words at the edge: the EN/ES label catalogue (``i18n`` + ``labels.csv``), sentences
(``narrative``), the key findings (``findings``) and tables for people (``tables``).
"""
