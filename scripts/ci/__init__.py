"""Python helpers the CI workflows run (`python -m scripts.ci.<module>`)."""
