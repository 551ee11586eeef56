// Placeholder until the playground lands: integration tests get the playground through inject('playground').
export default function setup(): void {}
