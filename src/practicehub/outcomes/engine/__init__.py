"""The outcome engine: the data contract, the rules derived from it, the measures and their
results. Pure Python on Ibis; it imports no Django and no other part of practicehub."""
