"""The steps: one package per role (`extract`, `strip`, `repair`, `langid`, `dedup`), the `filter`
step, and the two modules steps share (`spill`, `stopwords`)."""
