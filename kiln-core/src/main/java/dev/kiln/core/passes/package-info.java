/**
 * The optimize stage (SPEC section 6): graph rewrites of the float model that keep its outputs
 * (rtol 1e-4, atol 1e-5) and its output names.
 *
 * <p>{@link dev.kiln.core.passes.Optimizer#optimize} runs {@link dev.kiln.core.passes.Optimizer#standardPasses}
 * with a {@link dev.kiln.core.passes.PassManager}: round after round until nothing changes, with
 * types re-inferred between passes and a summary line per change in hb_mapper's words. Each pass
 * is one class named verb + pattern whose opening comment gives Before, After, Conditions and
 * Formula; it logs each rewrite by node name through {@link dev.kiln.core.passes.PassContext#rewrote}.
 * Graph surgery shared by several passes (sole consumers, replacing a value while keeping output
 * names, updating weights without touching shared ones) lives in {@code Rewrites}; folding a
 * per-channel affine map into Conv/ConvTranspose/Gemm weights lives in {@code ChannelAffine}.
 *
 * <p>To add a pass: a class extending {@link dev.kiln.core.passes.Pass} (or
 * {@link dev.kiln.core.passes.EliminateNoOp} for nodes that pass an input through), a line in the
 * standard list if every model should get it, and a test class with the three tests every pass has:
 * the structure it leaves, the same numbers on seeded random inputs, and a graph it must not touch.
 * Passes work on the main graph; subgraphs (If, Loop bodies) are left as they are, and values
 * they read are kept.
 */
package dev.kiln.core.passes;
