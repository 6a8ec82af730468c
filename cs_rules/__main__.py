from cs_rules.cli import main

main()
