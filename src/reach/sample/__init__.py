"""The bundled synthetic sample.

A simulated world, the files each platform would export from it, and the truth planted in it.
"""
