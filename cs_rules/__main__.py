from cs_rules.launch import main

main()
