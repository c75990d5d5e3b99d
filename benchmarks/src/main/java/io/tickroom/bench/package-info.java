/** JMH benchmarks of the hot paths; run the uber-jar {@code benchmarks/target/benchmarks.jar}. */
package io.tickroom.bench;
