"""What evaluation produces and what follows from it: the report contract (`report`), stable
finding ids (`identity`), approved exceptions (`waivers`), scores and verdicts (`scoring`),
rectification tracking (`rectification`) and the verdict changes between two packs (`diff`)."""
