print("lfadsc")
