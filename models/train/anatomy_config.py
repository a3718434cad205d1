"""Fixed settings of the chest-anatomy model: classes, input size, paths, seeds."""
import os

from paths import DATA, HERE, MODELS, REPO, work_dir  # noqa: F401  (re-exported to the scripts)

WORK = work_dir("anatomy")
OUT_DIR = os.path.join(MODELS, "cxr-anatomy")

# Output channel order is a contract with the server: never reorder.
CLASSES = ["lung_right", "lung_left", "heart", "clavicle_right", "clavicle_left",
           "cardiomediastinum", "trachea"]
N_CLASSES = len(CLASSES)

SIZE = 256          # model input S (square, aspect not kept)
WIDTHS = (8, 16, 32, 64, 128)  # U-Net channels per level
SEED = 20240607
VAL_FRACTION = 0.15
JSRT_MM_PER_PX = 0.35  # at 1024

# Source mask names per class and data set; None = class not annotated there (ignored in loss).
JSRT_MASKS = {0: "right_lung", 1: "left_lung", 2: "heart", 3: "right_clavicle", 4: "left_clavicle"}
COVID_MASKS = {5: "cardiomediastinum", 6: "airways"}  # lungs derived: lung AND NOT cardiomediastinum
COVID_LUNGS = {0: "right_lung", 1: "left_lung"}
