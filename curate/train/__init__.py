"""The training side of the content model (issue 19): block labels from the development sets
(`labels`), the labelled pages (`dataset`) and the tree model's training and export (`model`).

Nothing at run time imports this package; the training libraries it uses (LightGBM) are the
`train` extra and are imported only inside the functions that need them.
"""
