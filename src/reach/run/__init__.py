"""Commands: the top of the stack.

``reach run`` for a month or a range, ``reach verify``, ``reach inspect``, ``reach sample``, and the
folders they use.
"""
