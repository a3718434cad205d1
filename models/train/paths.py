"""Where the training scripts find the repository, the shared data and their work folders."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.dirname(HERE)
REPO = os.path.dirname(MODELS)
DATA = os.path.normpath(os.path.join(REPO, "..", "shared", "data"))


def work_dir(model):
    """Git-ignored cache/checkpoint folder of one model, e.g. models/.work/anatomy."""
    return os.path.join(MODELS, ".work", model)
