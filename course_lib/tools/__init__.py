"""The course's tooling, apart from the maths: nothing here is taught, and no maths module
imports it.

- ``show``: shows course_lib's own code in a notebook (every notebook imports it).
- ``catalog``: the plan of the course, notebook by notebook (notebook 00's map, the README's).
- ``envcheck``: notebook 00's check of the installation and of widget rendering.
- ``colab``: the first code cell of every notebook, which sets it up when it runs on Colab.
- ``checkout``: finds the course's checkout (its ``notebooks/``) for the tools below.
- ``workspace``: the student's own copies (sync) and the command line of the checkout tools.
- ``present``: one notebook shown with Voilà, without code, for a lecture.
- ``export``: every notebook executed and written as static HTML.
- ``release``: the student release, the course without the exercises' solutions.
"""
