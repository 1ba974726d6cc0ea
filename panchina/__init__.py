"""Panchina: a static site generator for football-coach rumours.

Modules, in pipeline order: ``config`` and ``content`` load and check,
``archive`` and ``model`` build the linked model, ``render`` and ``markup``
make the pages, ``output`` writes them atomically, ``search`` indexes them
with Pagefind; ``serve`` is the preview server and ``cli`` the commands.
"""
