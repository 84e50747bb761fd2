"""What a report notebook imports: the section object (``section``) and the validated data the
build hands to its kernels (``handoff``).
"""
