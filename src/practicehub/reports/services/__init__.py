"""Reports: the PDF site progress report (content, pdf, comparison) and its background jobs."""
