print("faultline: under construction")
