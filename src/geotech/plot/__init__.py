"""Pictures of the world (extra ``plot``: matplotlib).

- ``chip_map`` (``maps``): chips against TPP and density or bandwidth, with the control regions
  in force;
- ``design_space_map`` (``design``): the exact regions of a design space, filled by ruling;
- ``verdict_timeline``, ``matrix_heatmap``, ``compute_gap_bars`` (``outcomes``);
- ``save`` (``figures``): PNG or SVG by suffix, written atomically and byte-stable; SVG keeps
  text as text so labels can be searched.

Regions are computed from the rules, never drawn by hand.
"""

from geotech.plot.design import design_space_map
from geotech.plot.figures import save, text_colour
from geotech.plot.maps import HYPOTHETICAL_DIE_MM2, YAxis, chip_map, hypothetical_chip, item_truth
from geotech.plot.outcomes import compute_gap_bars, matrix_heatmap, verdict_timeline

__all__ = [
    "HYPOTHETICAL_DIE_MM2",
    "YAxis",
    "chip_map",
    "compute_gap_bars",
    "design_space_map",
    "hypothetical_chip",
    "item_truth",
    "matrix_heatmap",
    "save",
    "text_colour",
    "verdict_timeline",
]
