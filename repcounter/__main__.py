from repcounter.cli import main

raise SystemExit(main())
