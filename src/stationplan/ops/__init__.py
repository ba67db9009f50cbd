"""Operations: manifest scheduling, ports, crew, logistics, power (not built yet)."""
