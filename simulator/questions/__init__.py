"""The questions after "how likely?": compare, goal seek, sensitivity, calibrate, backtest."""
