export function App() {
  return <h1>{'Comité PTCE'}</h1>;
}
