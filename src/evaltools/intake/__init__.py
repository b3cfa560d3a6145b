"""Intake of the communes' yearly returns into the canonical data store.

One concern per module: ``encodings`` (bytes to text), ``numbers`` (Vietnamese
number writing), ``unitnames`` (unit names and codes to GSO codes), ``columns``
(the data columns of a return and their headers), ``readers`` (files to text or
grids of cells), ``layouts`` (long and wide layouts to one table of incoming
cells), ``incoming`` (checking and typing those cells), ``merge`` (incoming
values against the store), ``storewrite`` (the staged values folder),
``importer`` (the all-or-nothing import and its log), ``summary`` (what the user
reads), ``problems`` (where a problem is) and ``template`` (the .xlsx return
sent to communes).
"""
